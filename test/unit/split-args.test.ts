/**
 * A free-form module's text as Ansible makes it from what the task wrote. The expected values
 * are Ansible 2.14's split_args and parse_kv(check_raw=True) run on the same input.
 */
import { describe, expect, it } from 'vitest'
import { parseKv } from '../../engine/playbook/kv.js'
import { joinArgs, splitArgs } from '../../engine/playbook/split-args.js'

const commandKeys = (key: string): boolean => ['creates', 'removes', 'chdir', 'executable', 'stdin'].includes(key)

const cases: [text: string, params: string[], args: Record<string, string>, freeForm: string][] = [
  [
    'echo this is a \\\n"multiline echo" \\\n"with a new line\nin quotes" | cat\necho "second"\n',
    ['echo', 'this', 'is', 'a', '"multiline echo"', '"with a new line\nin quotes"', '|', 'cat\n', 'echo', '"second"\n'],
    {},
    'echo this is a "multiline echo" "with a new line\nin quotes" | cat\necho "second"\n',
  ],
  ['executable=/bin/bash\ncreates=/x/afile.txt\necho "test"\n', ['executable=/bin/bash\n', 'creates=/x/afile.txt\n', 'echo', '"test"\n'], { executable: '/bin/bash', creates: '/x/afile.txt' }, 'echo "test"\n'],
  ['cat <<EOF\nOne\n  Two\nEOF\n', ['cat', '<<EOF\n', 'One\n ', 'Two\n', 'EOF\n'], {}, 'cat <<EOF\nOne\n  Two\nEOF\n'],
  ['echo {{ a  }}  b', ['echo', '{{ a  }} ', 'b'], {}, 'echo {{ a  }}  b'],
  ['ls  -l creates=/x', ['ls ', '-l', 'creates=/x'], { creates: '/x' }, 'ls  -l'],
]

describe("a free-form module's text, as Ansible's split_args and parse_kv make it", () => {
  it.each(cases)('%j', (text, params, args, freeForm) => {
    expect(splitArgs(text)).toEqual(params)
    expect(parseKv(text, commandKeys)).toEqual({ args, freeForm })
  })

  it('joins words with one space, none after a line break', () => {
    expect(joinArgs(['a', 'b\n', 'c'])).toBe('a b\nc')
  })

  it('refuses unbalanced quotes and jinja2 blocks as Ansible does', () => {
    expect(() => splitArgs('echo "oops')).toThrow(/unbalanced jinja2 block or quotes/)
    expect(() => splitArgs('echo {{ x')).toThrow(/unbalanced/)
  })
})
