"use client";

/** Unexpected failures: a plain message and a retry; details stay in the server log. */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="panel stack" role="alert">
      <h1>Something went wrong · 出错了</h1>
      <p className="muted">The error was logged. · 错误已记录。</p>
      <button className="btn" type="button" onClick={reset}>
        Try again · 重试
      </button>
    </div>
  );
}
