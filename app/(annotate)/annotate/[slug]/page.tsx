import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Workspace } from "@/components/annotate/workspace";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { messagesFor } from "@/lib/i18n";
import { getTranslator } from "@/lib/i18n/server";
import { getWorkspaceProject } from "@/lib/services/workspace";

export const metadata: Metadata = { title: "Annotate" };

export default async function AnnotatePage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireUser();
  const { slug } = await params;
  const { locale } = await getTranslator();
  const project = await getWorkspaceProject({ db: getDb(), actor }, { slug }).catch(async (e) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") notFound();
    if (e instanceof AppError && e.code === "FORBIDDEN") {
      const { forbidden } = await import("next/navigation");
      forbidden();
    }
    throw e;
  });
  // The lease is taken by the client on mount: a page GET (or a prefetch) never takes work.
  return <Workspace slug={project.slug} name={project.name} guidelines={project.guidelines} userId={actor.id} messages={messagesFor(locale)} locale={locale} />;
}
