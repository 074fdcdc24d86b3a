import { Box, Link, Stack } from "@chakra-ui/react";
import type { MouseEvent } from "react";
import { Outlet } from "react-router";
import { AppHeader } from "./AppHeader";
import { NavMenu } from "./NavMenu";
import { SessionExpiredNotice } from "./SessionExpiredNotice";

// index.html sets <base href>, so a bare "#main" link would resolve against the app root and
// navigate away from deep links: move focus by hand instead.
function skipToMain(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  document.getElementById("main")?.focus();
}

export function AppLayout() {
  return (
    <Box minH="100vh">
      <Link href="#main" onClick={skipToMain} position="absolute" left="2" top="-10" zIndex="skipLink" bg="bg" px="3" py="2" _focus={{ top: "2" }}>
        Skip to content
      </Link>
      <AppHeader />
      <NavMenu />
      <Stack as="main" id="main" tabIndex={-1} gap="4" px="6" py="5" maxW="1600px" outline="none">
        <SessionExpiredNotice />
        <Outlet />
      </Stack>
    </Box>
  );
}
