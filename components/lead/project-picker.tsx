import { FilterSelect } from "@/components/ui/form";

/** A GET form choosing the project a lead page shows (?project=slug). */
export function ProjectPicker({
  projects,
  current,
  label,
  submit,
}: {
  projects: readonly { slug: string; name: string }[];
  current: string | undefined;
  label: string;
  submit: string;
}) {
  return (
    <form method="get" className="table-toolbar">
      <FilterSelect label={label} name="project" defaultValue={current} options={projects.map((p) => [p.slug, p.name] as const)} />
      <button className="btn" type="submit">
        {submit}
      </button>
    </form>
  );
}
