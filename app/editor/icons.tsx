import type { SVGProps } from "react";
import { Icon as LineIcon } from "#app/components/icons.tsx";

// Toolbar icons: the app's line icons, a little smaller and bolder.
function Icon(props: SVGProps<SVGSVGElement>) {
  return <LineIcon width="20" height="20" strokeWidth="2" {...props} />;
}

export const BoldIcon = () => (
  <Icon>
    <path d="M7 5h6a3.5 3.5 0 0 1 0 7H7zM7 12h7a3.5 3.5 0 0 1 0 7H7z" />
  </Icon>
);
export const ItalicIcon = () => (
  <Icon>
    <path d="M10 5h8M6 19h8M14 5l-4 14" />
  </Icon>
);
export const UnderlineIcon = () => (
  <Icon>
    <path d="M7 4v7a5 5 0 0 0 10 0V4M5 20h14" />
  </Icon>
);
export const StrikeIcon = () => (
  <Icon>
    <path d="M4 12h16M16.5 7.5C16 5.6 14.3 4.5 12 4.5c-2.8 0-4.5 1.4-4.5 3.3 0 1.5 1 2.5 3 3.2M8 16.3c.6 2 2.3 3.2 4.2 3.2 2.8 0 4.6-1.5 4.6-3.5 0-.6-.2-1.2-.5-1.7" />
  </Icon>
);
export const CodeIcon = () => (
  <Icon>
    <path d="M9 7l-5 5 5 5M15 7l5 5-5 5" />
  </Icon>
);
export const BulletListIcon = () => (
  <Icon>
    <path d="M9 6h11M9 12h11M9 18h11" />
    <circle cx="4.5" cy="6" r="1" fill="currentColor" />
    <circle cx="4.5" cy="12" r="1" fill="currentColor" />
    <circle cx="4.5" cy="18" r="1" fill="currentColor" />
  </Icon>
);
export const NumberListIcon = () => (
  <Icon>
    <path d="M10 6h10M10 12h10M10 18h10M4 5l1.5-1v5M3.5 14.5c0-1 .8-1.5 1.5-1.5s1.5.5 1.5 1.3c0 1.2-3 2.2-3 3.7h3" />
  </Icon>
);
export const CheckListIcon = () => (
  <Icon>
    <path d="M11 7h9M11 17h9M3.5 7l2 2 3.5-4" />
    <rect x="3.5" y="14" width="5" height="5" rx="1" />
  </Icon>
);
export const LinkIcon = () => (
  <Icon>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </Icon>
);
export const TableIcon = () => (
  <Icon>
    <rect x="3.5" y="4.5" width="17" height="15" rx="1.5" />
    <path d="M3.5 9.5h17M3.5 14.5h17M9.5 4.5v15M14.5 4.5v15" />
  </Icon>
);
export const RuleIcon = () => (
  <Icon>
    <path d="M4 12h16M8 6h8M8 18h8" strokeOpacity="0.45" />
    <path d="M4 12h16" />
  </Icon>
);
export const ImageIcon = () => (
  <Icon>
    <rect x="3.5" y="4.5" width="17" height="15" rx="1.5" />
    <circle cx="9" cy="10" r="1.5" />
    <path d="M20.5 16l-5-5-8.5 8.5" />
  </Icon>
);
export const FileIcon = () => (
  <Icon>
    <path d="M15.5 7.5l-6.8 6.8a1.8 1.8 0 002.5 2.5l7.1-7.1a3.5 3.5 0 00-5-5L6.2 11.8a5.2 5.2 0 007.4 7.4l5.9-5.9" />
  </Icon>
);
export const UndoIcon = () => (
  <Icon>
    <path d="M9 14L4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
  </Icon>
);
export const RedoIcon = () => (
  <Icon>
    <path d="M15 14l5-5-5-5" />
    <path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />
  </Icon>
);
export const ChevronIcon = () => (
  <Icon width="16" height="16">
    <path d="M6 9l6 6 6-6" />
  </Icon>
);
export const PageIcon = () => (
  <Icon width="16" height="16">
    <path d="M14 3.5H7A1.5 1.5 0 0 0 5.5 5v14A1.5 1.5 0 0 0 7 20.5h10a1.5 1.5 0 0 0 1.5-1.5V8z" />
    <path d="M14 3.5V8h4.5" />
  </Icon>
);
