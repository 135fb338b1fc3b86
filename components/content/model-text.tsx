import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/**
 * Model or dialogue text: plain text with its line breaks by default, or Markdown when
 * the project enables it. Never raw HTML: React escapes text, react-markdown ignores
 * HTML in the source (no rehype-raw) and its default URL transform drops `javascript:`
 * and other unsafe protocols.
 */
export function ModelText({ text, markdown = false }: { text: string; markdown?: boolean }) {
  if (!markdown) return <div className="model-text">{text}</div>;
  return (
    <div className="model-text model-markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        skipHtml
        components={{
          a: ({ href, children }) => (
            <a href={href} rel="noopener noreferrer nofollow" target="_blank">
              {children}
            </a>
          ),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
