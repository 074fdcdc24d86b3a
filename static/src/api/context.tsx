import { createContext, useContext, type ReactNode } from "react";
import type { ApiClient } from "./client";
import type { AppUrls } from "./urls";

export interface AppEnvironment {
  urls: AppUrls;
  api: ApiClient;
}

const AppEnvironmentContext = createContext<AppEnvironment | null>(null);

export function AppEnvironmentProvider({ value, children }: { value: AppEnvironment; children: ReactNode }) {
  return <AppEnvironmentContext.Provider value={value}>{children}</AppEnvironmentContext.Provider>;
}

export function useAppEnvironment(): AppEnvironment {
  const value = useContext(AppEnvironmentContext);
  if (!value) throw new Error("useAppEnvironment must be used inside <AppEnvironmentProvider>");
  return value;
}
