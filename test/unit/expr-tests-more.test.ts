/**
 * Ansible's uri/url/urn, vault_encrypted, nan, path and async tests, and to_uuid, relpath,
 * rekey_on_member. Expected texts were printed by ansible-playbook (ansible-core 2.14).
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { renderString } from '../../engine/expr/index.js'
import { markVaulted } from '../../engine/expr/vaulted.js'
import { scopeOver } from '../helpers/expr.js'

const dir = mkdtempSync(join(tmpdir(), 'tsplay-tests-'))
writeFileSync(join(dir, 'afile'), '')
mkdirSync(join(dir, 'adir'))
symlinkSync('afile', join(dir, 'alink'))
symlinkSync('nowhere', join(dir, 'dangling'))
markVaulted('s3cret-from-vault')
const scope = scopeOver({ vaulted: 's3cret-from-vault' })
const text = (template: string): unknown => renderString(`=${template}`, scope)

describe('tests answer as Ansible answers', () => {
  test.each([
    ["{{ 'foo' is uri }} {{ 'https://x.org/a' is uri }} {{ 'https://x.org/a' is uri(['http']) }} {{ 'https://x.org/a' is uri(['https']) }} {{ 5 is uri }} {{ 'http://[::1' is uri }}", "True True False True False False"],
    ["{{ 'foo' is url }} {{ 'https://x.org' is url }} {{ 'file:///etc' is url }} {{ 'mailto:a@b' is url }} {{ 'https://x.org' is url(['ftp']) }} {{ '//host/path' is url }}", "False True True False False True"],
    ["{{ 'urn:isbn:0451450523' is urn }} {{ 'https://x.org' is urn }} {{ 'URN:x' is urn }}", "True False True"],
    ["{{ 'x' is vault_encrypted }}", "False"],
    ["{{ (0 | float) is nan }} {{ ('nan' | float) is nan }} {{ 'x' is nan }} {{ ('nan' | float) is isnan }} {{ 5 is nan }}", "False True False True False"],
    ["{{ '${dir}/afile' is file }} {{ '${dir}/afile' is is_file }} {{ '${dir}/adir' is is_dir }} {{ '${dir}/alink' is is_link }} {{ '${dir}/dangling' is link_exists }} {{ '${dir}/dangling' is exists }}", "True True True True True False"],
    ["{{ '${dir}/alink' is same_file('${dir}/afile') }} {{ '${dir}/adir' is is_same_file('${dir}/afile') }}", "True False"],
    ["{{ [1, 2] is issubset([1, 2, 3]) }} {{ [1, 2, 3] is issuperset([3]) }} {{ [1, 4] is subset([1, 2]) }}", "True True False"],
    ["{{ {'started': 1, 'finished': 0} is started }} {{ {'started': 1, 'finished': 0} is finished }} {{ {'changed': true} is finished }} {{ {'finished': 1} is finished }}", "True False True True"],
    ["{{ 'abc' | to_uuid }} {{ 'abc' | to_uuid('8e3bfe4e-6a7c-4c2a-9f3d-6f0b5c2d9a11') }}", "27dc713b-d72c-5825-88f3-9f240e739319 58fee2e7-a3d1-5323-aa4b-52bed4ce6a62"],
    ["{{ '/etc/ssh/sshd_config' | relpath('/etc') }} {{ '/etc' | relpath('/etc/ssh') }} {{ '/etc' | relpath('/etc') }}", "ssh/sshd_config .. ."],
    ["{{ [{'n': 'a', 'v': 1}, {'n': 'b', 'v': 2}] | rekey_on_member('n') }}", "{'a': {'n': 'a', 'v': 1}, 'b': {'n': 'b', 'v': 2}}"],
    ["{{ {'x': {'n': 'a', 'v': 1}, 'y': {'n': 'a', 'v': 2}} | rekey_on_member('n', duplicates='overwrite') }}", "{'a': {'n': 'a', 'v': 2}}"],
    ["{{ vaulted is vault_encrypted }} {{ '$ANSIBLE_VAULT;1.1;AES256' is vault_encrypted }}", "True False"],
    ["{{ '/' is mount }} {{ '${dir}' is mount }}", "True False"],
    ["{{ 'x' is escaped }} {{ 'upper' is filter }} {{ 'eq' is test }} {{ 'ansible.builtin.uri' is test }}", "False True True True"],
    ["{{ '$TSPLAY_NO_SUCH_VAR/x ${TSPLAY_NO_SUCH_VAR}' | expandvars }}", "$TSPLAY_NO_SUCH_VAR/x ${TSPLAY_NO_SUCH_VAR}"],
  ])('%s', (template, expected) => {
    expect(text(template.replaceAll('${dir}', dir))).toBe(`=${expected}`)
  })
  test('expandvars reads the environment', () => {
    expect(text("{{ '$HOME' | expandvars }}")).toBe(`=${process.env['HOME']}`)
  })
})

describe('bad input fails with the message Ansible gives', () => {
  test.each([
    ["{{ 'x' is escaped }} {{ 'upper' is filter }} {{ 'nope' is filter }} {{ 'eq' is test }} {{ 'nope' is test }} {{ 'to_datetime' is filter }} {{ 'uri' is test }}", "there is no filter named 'nope' (ansible-core 2.14 fails this test for an unknown name)"],
    ["{{ 'abc' | to_uuid('bad') }}", "Invalid value 'bad' for 'namespace': badly formed hexadecimal UUID string"],
    ["{{ [{'n': 'a'}, {'n': 'a'}] | rekey_on_member('n') }}", "Key a is not unique, cannot correctly turn into dict"],
    ["{{ [{'n': 'a'}] | rekey_on_member('m') }}", "Key m was not found"],
  ])('%s', (template, message) => {
    expect(() => text(template)).toThrow(message)
  })
})
