export const metadata = { title: 'jwe-session Next.js example' };

const style = `
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
  form { margin: 1rem 0; } input[type=text] { width: 8rem; } textarea { width: 100%; }
  footer { margin-top: 2rem; border-top: 1px solid #ccc; font-size: 0.9rem; color: #444; }
  th { text-align: left; padding-right: 1rem; } .warn { color: #a00; }
  code { background: #f3f3f3; padding: 0 0.2rem; }
`;

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <head>
        <style>{style}</style>
      </head>
      <body>
        {children}
        <nav>
          <a href="/">Calculator</a> · <a href="/account">Account (Server Actions)</a>
        </nav>
      </body>
    </html>
  );
}
