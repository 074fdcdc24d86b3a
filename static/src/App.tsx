import { ChakraProvider } from "@chakra-ui/react";
import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { AppEnvironmentProvider, type AppEnvironment } from "./api/context";
import { useAirflowColorMode } from "./theme/colorMode";
import { system } from "./theme/system";

function ColorModeSync() {
  useAirflowColorMode();
  return null;
}

interface AppProvidersProps {
  environment: AppEnvironment;
  queryClient: QueryClient;
  children: ReactNode;
}

/** Everything a page needs around it; tests wrap pages in the same providers. */
export function AppProviders({ environment, queryClient, children }: AppProvidersProps) {
  return (
    <ChakraProvider value={system}>
      <ColorModeSync />
      <QueryClientProvider client={queryClient}>
        <AppEnvironmentProvider value={environment}>{children}</AppEnvironmentProvider>
      </QueryClientProvider>
    </ChakraProvider>
  );
}
