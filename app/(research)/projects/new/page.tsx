import type { Metadata } from "next";
import { ProjectForm } from "@/components/research/project-form";
import { staffPage } from "@/lib/pages";
import { Page } from "@/components/ui/page";
import { defaultProjectSettings } from "@/lib/validation/project-settings";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  const { locale, t, messages } = await staffPage("project.write");
  return (
    <Page title={t("projects.newTitle")}>
      <ProjectForm
        mode="create"
        initial={{ slug: "", name: "", description: "", guidelines: "", settings: defaultProjectSettings() }}
        locked={{ mode: false, scalePoints: false }}
        messages={messages}
        locale={locale}
      />
    </Page>
  );
}
