import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useAppEnvironment } from "./context";
import { seg, useSender } from "./request";

/** A secret some installed piece declares. The value itself is write-only and never returned. */
export interface DeclaredSecret {
  repository: string;
  name: string;
  pieces: string[];
  description: string;
  required: boolean;
  variable: string;
  is_set: boolean;
}

const secretKeys = { all: ["secrets"] as const };

export function useSecrets() {
  const { api } = useAppEnvironment();
  return useQuery({
    queryKey: secretKeys.all,
    queryFn: ({ signal }) => api.get<{ items: DeclaredSecret[] }>("/secrets", undefined, signal),
  });
}

export function useSecretActions() {
  const sender = useSender();
  const client = useQueryClient();
  const refresh = () => client.invalidateQueries({ queryKey: secretKeys.all });
  return {
    set: useMutation({
      mutationFn: ({ repository, name, value }: { repository: string; name: string; value: string }) =>
        sender.send<void>("PUT", `/secrets/${seg(repository)}/${seg(name)}`, { value }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: ({ repository, name }: { repository: string; name: string }) =>
        sender.send<void>("DELETE", `/secrets/${seg(repository)}/${seg(name)}`),
      onSuccess: refresh,
    }),
  };
}
