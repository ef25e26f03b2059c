/** What the template module passes to the renderer of a template file (Ansible's template args). */
export type { JinjaFileOptions as TemplateFileOptions } from '../expr/jinja/file.js'
