// A .env file beside package.json, when there is one, fills in variables not
// already set (Node's own loader: process.loadEnvFile, Node >= 20.12).
try {
  process.loadEnvFile();
} catch {
  // No .env: the environment alone configures Cercle.
}

// Production unless told otherwise. React, Lexical and Express each choose
// their development or production build from process.env.NODE_ENV when first
// loaded, and `npm start` / `npm run serve` set none: without this line users
// ran React's development build (slower, heavier) and Express's error page
// showed them stack traces. It runs before the Remix build (which loads React
// and Lexical) is imported and before express() reads it; `npm run dev` says
// "development" itself, the tests say "test".
process.env.NODE_ENV ??= "production";
