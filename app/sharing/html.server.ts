import { fileIdOf } from "#app/editor/url.ts";
import { sharedImageUrl } from "#app/urls.ts";

/**
 * A wiki page's stored HTML as an outsider sees it through a share link:
 * every link becomes plain text (a share shows one page and leads nowhere:
 * its wiki links would only meet the sign-in page, and its other links are
 * the club's to follow, not the client's), and every image of the page is
 * served through the link itself (sharedImageUrl), which serves exactly the
 * images this very HTML shows. Any other image is dropped.
 *
 * The HTML was sanitised when it was saved (app/editor/content.server.ts);
 * this pass keeps its tags and attributes as they are (hence no allow-list
 * here) and only rewrites <a> and <img>.
 */

export interface PageImages {
  files: Set<string>;
  wiki: Set<string>;
}

const WIKI_IMAGE = /^\/spaces\/[^/]+\/wiki\/images\/([a-z0-9]{10,40})$/;

function imageOf(src: string): { kind: "files" | "wiki"; id: string } | null {
  const file = fileIdOf(src);
  if (file) return { kind: "files", id: file };
  const wiki = WIKI_IMAGE.exec(src)?.[1];
  return wiki ? { kind: "wiki", id: wiki } : null;
}

export async function htmlForShare(html: string, token: string): Promise<{ html: string; images: PageImages }> {
  // sanitize-html brings htmlparser2 and PostCSS: loaded at the first shared page, not at start.
  const { default: sanitizeHtml } = await import("sanitize-html");
  const images: PageImages = { files: new Set(), wiki: new Set() };
  const out = sanitizeHtml(html, {
    allowedTags: false,
    allowedAttributes: false,
    allowVulnerableTags: true,
    transformTags: {
      a: () => ({ tagName: "span", attribs: { class: "shared-link" } }),
      img: (tagName, attribs) => {
        const image = imageOf(attribs.src ?? "");
        if (!image) return { tagName, attribs: { ...attribs, src: "" } };
        images[image.kind].add(image.id);
        return { tagName, attribs: { ...attribs, src: sharedImageUrl(token, image.kind, image.id) } };
      },
    },
    // An image this link does not serve leaves the page rather than show as broken.
    exclusiveFilter: (frame) => frame.tag === "img" && !frame.attribs.src,
  });
  return { html: out, images };
}

/** The images a page's HTML shows, by kind: what its share link may serve, and nothing else. */
export async function imagesOfPage(html: string): Promise<PageImages> {
  return (await htmlForShare(html, "x")).images;
}
