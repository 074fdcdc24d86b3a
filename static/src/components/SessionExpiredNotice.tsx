import { Alert, Link } from "@chakra-ui/react";
import { useAppEnvironment } from "../api/context";
import { useSessionExpired } from "../api/queries";
import { sessionLoginLink } from "../api/urls";

/** One page-wide notice, however many requests were refused for want of a session. */
export function SessionExpiredNotice() {
  const expired = useSessionExpired();
  const { urls } = useAppEnvironment();
  if (!expired) return null;
  const login = sessionLoginLink(urls.prefix);
  return (
    <Alert.Root status="warning" role="alert">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>Your Airflow session has expired</Alert.Title>
        <Alert.Description>
          <Link href={login.href} target={login.target} fontWeight="semibold" textDecoration="underline">
            Log in to Airflow again
          </Link>{" "}
          to continue; you will come back to this page.
        </Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}
