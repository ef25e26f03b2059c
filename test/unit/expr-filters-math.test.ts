/**
 * Math, size, comment, urlsplit and Jinja's small text filters. Expected texts were printed by
 * ansible-playbook (ansible-core 2.14) for the same templates.
 */
import { describe, expect, test } from 'vitest'
import { renderString } from '../../engine/expr/index.js'
import { scopeOver } from '../helpers/expr.js'

const scope = scopeOver({ two_lines: 'a\nb', with_blank: 'Hello\n\nworld' })
const text = (template: string): unknown => renderString(`=${template}`, scope)

describe('filters give what Ansible gives', () => {
  test.each([
    ["{{ 8 | log(2) }} {{ 100 | log(10) }} {{ 1 | log }} {{ 10 | log }} {{ 1000 | log(10) }}", "3.0 2.0 0.0 2.302585092994046 3.0"],
    ["{{ 2 | pow(10) }} {{ 2 | pow(0.5) }} {{ 4.0 | pow(2) }} {{ 10 | pow(-2) }}", "1024.0 1.4142135623730951 16.0 0.01"],
    ["{{ 9 | root }} {{ 27 | root(3) }} {{ 2 | root }} {{ 1000 | root(3) }}", "3.0 3.0 1.4142135623730951 9.999999999999998"],
    ["{{ 1 | human_readable }} {{ 1024 | human_readable }} {{ 1152 | human_readable }} {{ 10000000 | human_readable }} {{ 0 | human_readable }}", "1.00 Bytes 1.00 KB 1.12 KB 9.54 MB 0.00 Bytes"],
    ["{{ 1048576 | human_readable(isbits=True) }} {{ 1048576 | human_readable(unit='G') }} {{ 1048576 | human_readable(unit='k') }} {{ 3.5 | human_readable }} {{ 1048576 | human_readable(unit='Q') }}", "1.00 Mb 0.00 GB 1024.00 KB 3.50 Bytes 1048576.00 Bytes"],
    ["{{ '1K' | human_to_bytes }} {{ '2.5 MB' | human_to_bytes }} {{ '10' | human_to_bytes }} {{ 10 | human_to_bytes('M') }} {{ '1Mb' | human_to_bytes(isbits=True) }} {{ '1 byte' | human_to_bytes }} {{ '2.5' | human_to_bytes }} {{ '0.5B' | human_to_bytes }} {{ '1.5b' | human_to_bytes }}", "1024 2621440 10 10485760 1048576 1 2 0 2"],
    ["{{ '1 kilobyte' | human_to_bytes }} {{ 2.5 | human_to_bytes }} {{ '3.5' | human_to_bytes }}", "1024 2 4"],
    ["{{ two_lines | comment }}", "#\n# a\n# b\n#"],
    ["{{ with_blank | comment('c') }}", "//\n// Hello\n//\n// world\n//"],
    ["{{ two_lines | comment('cblock') }}", "/*\n *\n * a\n * b\n *\n */"],
    ["{{ two_lines | comment('xml') }}", "<!--\n -\n - a\n - b\n -\n-->"],
    ["{{ 'x' | comment('erlang') }}", "%\n% x\n%"],
    ["{{ 'x' | comment(decoration='; ', prefix_count=2, postfix_count=0) }}", ";\n;\n; x"],
    ["{{ 'x' | comment(beginning='BEGIN', end='END', decoration='| ') }}", "BEGIN\n|\n| x\n|\nEND"],
    ["{{ 'https://user:pw@Www.Example.com:8080/a/b.html?q=1&r=2#frag' | urlsplit }}", "{'fragment': 'frag', 'hostname': 'www.example.com', 'netloc': 'user:pw@Www.Example.com:8080', 'password': 'pw', 'path': '/a/b.html', 'port': 8080, 'query': 'q=1&r=2', 'scheme': 'https', 'username': 'user'}"],
    ["{{ 'https://www.example.com:8080/a?q=1#f' | urlsplit('hostname') }} {{ 'https://www.example.com:8080/a?q=1#f' | urlsplit('port') }} {{ 'https://www.example.com/a?q=1#f' | urlsplit('port') }} {{ 'https://u@h/' | urlsplit('password') }}", "www.example.com 8080  "],
    ["{{ 'http://[::1]:80/x' | urlsplit }}", "{'fragment': '', 'hostname': '::1', 'netloc': '[::1]:80', 'password': None, 'path': '/x', 'port': 80, 'query': '', 'scheme': 'http', 'username': None}"],
    ["{{ '/just/a/path?x' | urlsplit }}", "{'fragment': '', 'hostname': None, 'netloc': '', 'password': None, 'path': '/just/a/path', 'port': None, 'query': 'x', 'scheme': '', 'username': None}"],
    ["{{ 'mailto:someone@example.com' | urlsplit }}", "{'fragment': '', 'hostname': None, 'netloc': '', 'password': None, 'path': 'someone@example.com', 'port': None, 'query': '', 'scheme': 'mailto', 'username': None}"],
    ["{{ 'abc' | center(9) }}|{{ 'ab' | center(9) }}|{{ 'abc' | center(8) }}|{{ 'abcdef' | center(3) }}", "   abc   |    ab   |  abc   |abcdef"],
    ["{{ 1 | filesizeformat }} {{ 100 | filesizeformat }} {{ 1000 | filesizeformat }} {{ 1500000 | filesizeformat }} {{ 1536 | filesizeformat(true) }} {{ (3 * 1024 ** 3) | filesizeformat(binary=True) }} {{ 1e30 | filesizeformat }}", "1 Byte 100 Bytes 1.0 kB 1.5 MB 1.5 KiB 3.0 GiB 1000000.0 YB"],
    ["{{ '<a href=\"x\">&</a>' | e }} {{ \"'\" | e }} {{ '<b>x</b>' | escape }} {{ '<p>a  <!-- c -->b&amp;c &lt;</p>' | striptags }} {{ 'x' | safe }}", "&lt;a href=&#34;x&#34;&gt;&amp;&lt;/a&gt; &#39; &lt;b&gt;x&lt;/b&gt; a b&c < x"],
    ["{{ 'a b/c&d' | urlencode }} {{ {'a': 'b c', 'd': '&'} | urlencode }} {{ [['k', 'v/w']] | urlencode }}", "a%20b/c%26d a=b+c&d=%26 k=v%2Fw"],
    ["{{ {'b': '<x>', 'a': 1} | tojson }}", "{\"a\": 1, \"b\": \"\\u003cx\\u003e\"}"],
  ])('%s', (template, expected) => {
    expect(text(template)).toBe(`=${expected}`)
  })
})

describe('bad input fails with the message Ansible gives', () => {
  test.each([
    ["{{ 0 | log }}", "math domain error"],
    ["{{ 'a' | log }}", "log() can only be used on numbers: must be real number, not str"],
    ["{{ 10 | pow(400) }}", "math range error"],
    ["{{ -4 | root }}", "root() can only be used on numbers: math domain error"],
    ["{{ '1024' | human_readable }}", "human_readable() failed on bad input: '>=' not supported between instances of 'str' and 'int'"],
    ["{{ '1Mb' | human_to_bytes }}", "human_to_bytes() can't interpret following string: 1Mb"],
    ["{{ 'x' | human_to_bytes }}", "human_to_bytes() can't interpret following string: x"],
    ["{{ '1Q' | human_to_bytes }}", "human_to_bytes() can't interpret following string: 1Q"],
    ["{{ 'x' | comment('nope') }}", "'comment' style must be one of plain, erlang, c, cblock, xml, not 'nope'"],
    ["{{ 'https://example.com' | urlsplit('nope') }}", "urlsplit: unknown URL component: nope"],
    ["{{ 'http://h:99999/' | urlsplit('port') }}", "Port out of range 0-65535"],
  ])('%s', (template, message) => {
    expect(() => text(template)).toThrow(message)
  })
})
