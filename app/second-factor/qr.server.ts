import QRCode from "qrcode";

/** The QR code of an otpauth:// address, as SVG markup made on the server (no script, no request to anyone). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } });
}
