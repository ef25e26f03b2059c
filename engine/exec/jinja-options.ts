/** What the template module passes to the renderer of a template file (Ansible's template args). */
export interface TemplateFileOptions {
  /** The task's dest, shown to the template as `template_destpath`. */
  dest?: string | undefined
  /** '\n', '\r\n' or '\r': every line break of the result is written so. */
  newlineSequence?: string | undefined
  trimBlocks?: boolean | undefined
  lstripBlocks?: boolean | undefined
  variableStart?: string | undefined
  variableEnd?: string | undefined
  blockStart?: string | undefined
  blockEnd?: string | undefined
  commentStart?: string | undefined
  commentEnd?: string | undefined
}
