import { Box, IconButton, type BoxProps } from "@chakra-ui/react";
import { useState, type ReactNode } from "react";

interface CollapsibleAsideProps extends Omit<BoxProps, "children"> {
  /** Accessible name of the side panel, e.g. "Pieces". */
  label: string;
  side: "start" | "end";
  /** Width when open. */
  width: BoxProps["w"];
  /** Open at first? Defaults to open when the window is at least `openFrom` px wide. */
  defaultOpen?: boolean;
  openFrom?: number;
  /** Opens the panel again whenever this value changes (e.g. the selected task). */
  reopenOn?: unknown;
  children: ReactNode;
}

/**
 * A side panel that folds into a narrow strip with one button, so the canvas keeps room on small
 * screens (1024 px). The content stays mounted while folded (forms keep their state).
 */
export function CollapsibleAside({ label, side, width, defaultOpen, openFrom = 0, reopenOn, children, ...rest }: CollapsibleAsideProps) {
  const [open, setOpen] = useState(() => defaultOpen ?? (typeof window === "undefined" || window.innerWidth >= openFrom));
  // Adjusting state while rendering (React's pattern for "reset when a prop changes"), not in an effect.
  const [seen, setSeen] = useState(reopenOn);
  if (seen !== reopenOn) {
    setSeen(reopenOn);
    if (reopenOn !== undefined && reopenOn !== null && reopenOn !== "") setOpen(true);
  }
  const border = side === "start" ? { borderEndWidth: "1px" } : { borderStartWidth: "1px" };
  const arrow = (side === "start") === open ? "«" : "»";
  const toggle = (
    <IconButton
      size="2xs"
      variant="ghost"
      aria-label={open ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
      aria-expanded={open}
      title={open ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
      onClick={() => setOpen((v) => !v)}
      data-testid={`toggle-${label.toLowerCase().replace(/\s+/g, "-")}`}
    >
      {arrow}
    </IconButton>
  );
  return (
    <Box as="aside" aria-label={label} flexShrink={0} h="full" minH="0" display="flex" flexDirection="column" position="relative" w={open ? width : "32px"} {...border} {...rest}>
      <Box position="absolute" top="1" zIndex="2" {...(side === "start" ? { right: "1" } : { left: "1" })}>
        {toggle}
      </Box>
      <Box display={open ? "flex" : "none"} flexDirection="column" flex="1" minH="0">
        {children}
      </Box>
    </Box>
  );
}
