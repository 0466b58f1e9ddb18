/** The one place handlers read their environment: a missing variable is named, never silently defaulted. */
export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set (the stack sets it; is this the deployed function?)`);
  }
}

export function requiredEnvironment(variable: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[variable];
  if (value === undefined || value === '') throw new MissingEnvironmentError(variable);
  return value;
}

/** A variable the function can run without (a feature switched off); null when it is not set. */
export function optionalEnvironment(variable: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const value = env[variable];
  return value === undefined || value === '' ? null : value;
}
