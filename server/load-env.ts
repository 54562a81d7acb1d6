// A .env file beside package.json, when there is one, fills in variables not
// already set (Node's own loader: process.loadEnvFile, Node >= 20.12).
try {
  process.loadEnvFile();
} catch {
  // No .env: the environment alone configures Cercle.
}
