/**
 * to_datetime, strftime, now() and the datetimes they make. Expected texts were printed by
 * ansible-playbook (ansible-core 2.14) for the same templates; strftime is given utc=True where
 * the local time zone would show.
 */
import { describe, expect, test } from 'vitest'
import { evaluate, renderString } from '../../engine/expr/index.js'
import { PyDatetime } from '../../engine/expr/datetime.js'
import { scopeOver } from '../helpers/expr.js'

const scope = scopeOver({})
const text = (template: string): unknown => renderString(`=${template}`, scope)

describe('datetimes print, compare, subtract and format as in Python', () => {
  test.each([
    ["{{ '2016-08-14 20:00:12' | to_datetime }}", "2016-08-14 20:00:12"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime) - ('2015-12-25' | to_datetime('%Y-%m-%d')) }}", "233 days, 20:00:12"],
    ["{{ (('2016-08-14 20:00:12' | to_datetime) - ('2015-12-25' | to_datetime('%Y-%m-%d'))).days }}", "233"],
    ["{{ (('2016-08-14 20:00:12' | to_datetime) - ('2016-08-14 18:00:00' | to_datetime)).seconds }}", "7212"],
    ["{{ (('2016-08-14 20:00:12' | to_datetime) - ('2016-08-14 18:00:00' | to_datetime)).total_seconds() }}", "7212.0"],
    ["{{ ('2015-12-25' | to_datetime('%Y-%m-%d')) - ('2016-08-14 20:00:12' | to_datetime) }}", "-234 days, 3:59:48"],
    ["{{ ['2016-08-14 20:00:12' | to_datetime] }}", "[datetime.datetime(2016, 8, 14, 20, 0, 12)]"],
    ["{{ '14/Aug/16 8:05:01.5 pm' | to_datetime('%d/%b/%y %I:%M:%S.%f %p') }}", "2016-08-14 20:05:01.500000"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime).year }} {{ ('2016-08-14 20:00:12' | to_datetime).strftime('%A %j %U %W %e %C %G %V %u %w') }}", "2016 Sunday 227 33 32 14 20 2016 32 7 0"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime).isoformat() }} {{ ('2016-08-14' | to_datetime('%Y-%m-%d')).weekday() }}", "2016-08-14T20:00:12 6"],
    ["{{ '%Y-%m-%d %H:%M:%S %a %b %Z %z %s' | strftime(1441357287, utc=True) }}", "2015-09-04 09:01:27 Fri Sep GMT +0000 1441357287"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime) > ('2015-12-25' | to_datetime('%Y-%m-%d')) }}", "True"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime) == ('2016-08-14 20:00:12' | to_datetime) }}", "True"],
    ["{{ {'d': '2016-08-14 20:00:12' | to_datetime} | to_json }}", "{\"d\": \"2016-08-14T20:00:12\"}"],
    ["{{ ('2016-02-29 00:00:00' | to_datetime) | type_debug }} {{ (('2016-08-14 20:00:12' | to_datetime) - ('2015-12-25' | to_datetime('%Y-%m-%d'))) | type_debug }}", "datetime timedelta"],
    ["{{ '2016-08-14T20:00:12Z' | to_datetime('%Y-%m-%dT%H:%M:%SZ') }}", "2016-08-14 20:00:12"],
    ["{{ '  2016-8-4   1:2:3' | to_datetime(' %Y-%m-%d %H:%M:%S') }}", "2016-08-04 01:02:03"],
    ["{{ '2016 100' | to_datetime('%Y %j') }}", "2016-04-09 00:00:00"],
    ["{{ '%c|%x|%X|%D|%T|%F|%R|%r|%p|%I|%l|%k|%-d|%h|%y|%%' | strftime(1441357287.9, utc=True) }}", "Fri Sep  4 09:01:27 2015|09/04/15|09:01:27|09/04/15|09:01:27|2015-09-04|09:01|09:01:27 AM|AM|09| 9| 9|4|Sep|15|%"],
    ["{{ '%Y-%m-%d %H:%M:%S' | strftime('0', utc=True) }}", "1970-01-01 00:00:00"],
    ["{{ ('2016-08-14 20:00:12' | to_datetime) + (('2016-08-14 20:00:12' | to_datetime) - ('2016-08-13 20:00:00' | to_datetime)) }}", "2016-08-15 20:00:24"],
    ["{{ {'d': '2016-08-14 20:00:12' | to_datetime} | to_yaml }}", "{d: 2016-08-14 20:00:12}\n"],
  ])('%s', (template, expected) => {
    expect(text(template)).toBe(`=${expected}`)
  })

  test("now() is the current time, fmt= formats it", () => {
    const before = Date.now()
    const value = evaluate('now(utc=True)', scope) as PyDatetime
    expect(value).toBeInstanceOf(PyDatetime)
    expect(Math.abs(value.micros / 1000 - before)).toBeLessThan(5000)
    expect(text("{{ now(fmt='%Y') }}")).toBe(`=${new Date().getFullYear()}`)
  })
})

describe('bad dates fail with the message Python gives', () => {
  test.each([
    ["{{ '2016-08-14' | to_datetime }}", "time data '2016-08-14' does not match format '%Y-%m-%d %H:%M:%S'"],
    ["{{ '2016-08-14 20:00:12 x' | to_datetime }}", "unconverted data remains:  x"],
    ["{{ '2016-13-14 20:00:12' | to_datetime('%Y-%m-%d %H:%M:%S') }}", "time data '2016-13-14 20:00:12' does not match format '%Y-%m-%d %H:%M:%S'"],
    ["{{ '%Y' | strftime('x') }}", "Invalid value for epoch value (x)"],
    ["{{ '29 Feb' | to_datetime('%d %b') }}", "day is out of range for month"],
    ["{{ 5 | to_datetime }}", "strptime() argument 1 must be str, not int"],
    ["{{ '2016' | to_datetime('%Q') }}", "'Q' is a bad directive in format '%Q'"],
  ])('%s', (template, message) => {
    expect(() => text(template)).toThrow(message)
  })
})
