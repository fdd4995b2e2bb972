import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configPath, imagesDirOf, loadConfig, parseConfig } from '../../controller/config.ts';

const root = mkdtempSync(join(tmpdir(), 'imagebox-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function problem(text: string): ConfigError {
  try {
    parseConfig(text, '/etc/imagebox.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    expect(err.message).not.toContain('\n');
    expect(err.message.startsWith('config /etc/imagebox.json: ')).toBe(true);
    return err;
  }
  throw new Error(`accepted: ${text}`);
}

describe('config', () => {
  it('reads a lab server, and nothing else is required', () => {
    expect(parseConfig('{}', 'c.json')).toEqual({});
    expect(parseConfig('{"labServer":{"url":"https://lab.example:8443/api/records","token":"abc.DEF-123","timeoutMs":5000}}', 'c.json')).toEqual({
      labServer: { url: 'https://lab.example:8443/api/records', token: 'abc.DEF-123', timeoutMs: 5000 },
    });
    expect(parseConfig('{"labServer":{"url":"http://10.0.0.5"}}', 'c.json')).toEqual({ labServer: { url: 'http://10.0.0.5/' } });
  });

  it('reads where the panel puts images: an absolute path or one under ~, default ~/imagebox-images', () => {
    expect(parseConfig('{"imagesDir":"/srv/images/"}', 'c.json')).toEqual({ imagesDir: '/srv/images/' });
    expect(parseConfig('{"imagesDir":"~/cases"}', 'c.json')).toEqual({ imagesDir: join(homedir(), 'cases') });
    expect(imagesDirOf({})).toBe(join(homedir(), 'imagebox-images'));
    expect(imagesDirOf({ imagesDir: '/srv/images' })).toBe('/srv/images');
  });

  it.each([
    ['not json', '{labServer:', '', /json: not valid JSON \(/],
    ['not an object', '[1]', '', /must be an object/],
    ['a typo at the top', '{"labserver":{}}', 'labserver', /unknown setting \(known: labServer, imagesDir\)/],
    ['images in a relative folder', '{"imagesDir":"images"}', 'imagesDir', /absolute path or start with ~\/, got "images"/],
    ['images in no folder', '{"imagesDir":""}', 'imagesDir', /must be a non-empty path/],
    ['a typo inside', '{"labServer":{"url":"http://a","tokn":"x"}}', 'labServer.tokn', /known: url, token, timeoutMs/],
    ['no url', '{"labServer":{}}', 'labServer.url', /must be a string/],
    ['not a URL', '{"labServer":{"url":"lab server"}}', 'labServer.url', /not a URL: "lab server"/],
    ['another scheme', '{"labServer":{"url":"ftp://lab/x"}}', 'labServer.url', /http: or https: URL, got ftp:/],
    ['credentials in the URL', '{"labServer":{"url":"https://u:p@lab/x"}}', 'labServer.url', /labServer\.token/],
    ['a token with a space', '{"labServer":{"url":"http://a","token":"Bearer abc"}}', 'labServer.token', /printable ASCII without spaces/],
    ['an empty token', '{"labServer":{"url":"http://a","token":""}}', 'labServer.token', /non-empty/],
    ['a timeout in seconds', '{"labServer":{"url":"http://a","timeoutMs":30}}', 'labServer.timeoutMs', /from 100 to 600000, got 30/],
    ['a timeout as text', '{"labServer":{"url":"http://a","timeoutMs":"5000"}}', 'labServer.timeoutMs', /got "5000"/],
  ])('refuses %s, naming the file and the field', (_what, text, field, message) => {
    const err = problem(text);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    if (field) expect(err.message).toContain(`: ${field}: `);
  });

  it('never prints the token', () => {
    expect(problem('{"labServer":{"url":"http://a","token":"sec ret"}}').message).not.toContain('sec');
  });

  it('is found at $IMAGEBOX_CONFIG, else in the state folder, where a missing file means defaults', () => {
    const state = join(root, 'state');
    const saved = process.env.IMAGEBOX_STATE_DIR;
    process.env.IMAGEBOX_STATE_DIR = state;
    try {
      expect(configPath({})).toEqual({ path: join(state, 'config.json'), explicit: false });
      expect(loadConfig({ env: {} })).toEqual({});
      const file = join(root, 'explicit.json');
      expect(configPath({ IMAGEBOX_CONFIG: file })).toEqual({ path: file, explicit: true });
      // Asked for by name, a missing file is an error, not a silent default.
      expect(() => loadConfig({ env: { IMAGEBOX_CONFIG: file } })).toThrow(new RegExp(`^config ${file}: cannot read: ENOENT`));
      writeFileSync(file, '{"labServer":{"url":"https://lab.example/r"}}');
      expect(loadConfig({ env: { IMAGEBOX_CONFIG: file } })).toEqual({ labServer: { url: 'https://lab.example/r' } });
    } finally {
      if (saved === undefined) delete process.env.IMAGEBOX_STATE_DIR;
      else process.env.IMAGEBOX_STATE_DIR = saved;
    }
  });
});
