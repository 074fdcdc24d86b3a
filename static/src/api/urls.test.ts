import { describe, expect, it } from "vitest";
import { appUrlsFromPathname, canNavigateTop, loginUrl, sessionLoginLink } from "./urls";

describe("appUrlsFromPathname", () => {
  it.each([
    ["/domino/ui/", "", "/domino/ui", "/domino/api/v1"],
    ["/domino/ui", "", "/domino/ui", "/domino/api/v1"],
    ["/domino/ui/workflows/daily_sales/edit", "", "/domino/ui", "/domino/api/v1"],
    ["/airflow/domino/ui/", "/airflow", "/airflow/domino/ui", "/airflow/domino/api/v1"],
    ["/a/b/domino/ui/runs", "/a/b", "/a/b/domino/ui", "/a/b/domino/api/v1"],
    // The first whole-segment match wins, even when a later segment repeats it.
    ["/x/domino/ui/workflows/domino/ui", "/x", "/x/domino/ui", "/x/domino/api/v1"],
  ])("%s", (pathname, prefix, basename, apiRoot) => {
    expect(appUrlsFromPathname(pathname)).toEqual({ prefix, basename, apiRoot });
  });

  it("does not match a segment that only starts with 'ui'", () => {
    expect(appUrlsFromPathname("/domino/uix/").basename).toBe("/");
  });

  it("falls back to the root when the app is not under /domino/ui", () => {
    expect(appUrlsFromPathname("/")).toEqual({ prefix: "", basename: "/", apiRoot: "/domino/api/v1" });
  });
});

describe("loginUrl", () => {
  it("goes through Airflow's auth-manager-neutral login endpoint with an encoded next", () => {
    expect(loginUrl("/airflow", "/airflow/plugin/domino?x=1&y=2")).toBe(
      "/airflow/api/v2/auth/login?next=%2Fairflow%2Fplugin%2Fdomino%3Fx%3D1%26y%3D2",
    );
    expect(loginUrl("", "/domino/ui/")).toBe("/api/v2/auth/login?next=%2Fdomino%2Fui%2F");
  });
});

describe("sessionLoginLink", () => {
  const fakeLocation = (pathname: string, search = "", hash = "") => ({ pathname, search, hash }) as Location;
  const frameElement = (sandbox: string | null) => ({ getAttribute: () => sandbox }) as unknown as Element;
  const framed = (sandbox: string | null, ownPath = "/airflow/domino/ui/workflows"): Window =>
    ({
      location: fakeLocation(ownPath),
      top: { location: fakeLocation("/airflow/plugin/domino", "?a=1", "#h") },
      frameElement: frameElement(sandbox),
    }) as unknown as Window;

  it("logs in inside the frame when Airflow's sandbox forbids top navigation", () => {
    const win = framed("allow-scripts allow-same-origin allow-forms allow-downloads");
    expect(canNavigateTop(win)).toBe(false);
    expect(sessionLoginLink("/airflow", win)).toEqual({
      href: loginUrl("/airflow", "/airflow/domino/ui/workflows"),
      target: "_self",
    });
  });

  it.each(["allow-scripts allow-same-origin allow-top-navigation", "allow-top-navigation-by-user-activation allow-scripts"])(
    "takes the whole tab back to the shell when the sandbox allows it (%s)",
    (sandbox) => {
      expect(sessionLoginLink("/airflow", framed(sandbox))).toEqual({
        href: loginUrl("/airflow", "/airflow/plugin/domino?a=1#h"),
        target: "_top",
      });
    },
  );

  it("uses _top in an unsandboxed frame", () => {
    expect(sessionLoginLink("", framed(null)).target).toBe("_top");
  });

  it("comes back to its own page when the top window is cross-origin", () => {
    const win = {
      location: fakeLocation("/domino/ui/runs"),
      frameElement: null,
      top: {
        get location(): Location {
          throw new DOMException("Blocked a frame", "SecurityError");
        },
      },
    } as unknown as Window;
    expect(sessionLoginLink("", win)).toEqual({ href: loginUrl("", "/domino/ui/runs"), target: "_top" });
  });

  it("uses its own page when not framed", () => {
    const win = { location: fakeLocation("/domino/ui/", "?x=1") } as unknown as Window;
    (win as { top: Window }).top = win;
    expect(sessionLoginLink("", win)).toEqual({ href: loginUrl("", "/domino/ui/?x=1"), target: "_top" });
  });
});
