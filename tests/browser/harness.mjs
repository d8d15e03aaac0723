// Starts the real `rapport` binary on a temporary SQLite file and a free port, and launches
// Debian's Chromium through playwright-core. Used by web_ui.test.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export function binary() {
  const bin = process.env.RAPPORT_BINARY || process.env.RAPPORT_DEFAULT_BINARY;
  if (!bin) {
    throw new Error('RAPPORT_BINARY is not set: run the browser tests through scripts/run-tests (make test), ' +
                    'or set it to the path of a built `rapport`');
  }
  return bin;
}

// Runs `rapport ARGS` to completion; throws with its output when it fails.
export function rapport(args, input) {
  const r = spawnSync(binary(), args, { input: input ?? '', encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    throw new Error(`rapport ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return r.stdout;
}

export class Server {
  constructor(dbUrl) {
    this.dbUrl = dbUrl;
    this.stderr = '';
  }

  // Serves on 127.0.0.1:0 and reads the chosen port from the "serving http://..." line.
  async start() {
    // --follow-up-poll 2: the reminder and review-pack steps wait seconds for the workers, not a minute.
    this.proc = spawn(binary(), ['serve', '--db', this.dbUrl, '--listen', '127.0.0.1:0', '--follow-up-poll', '2'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    this.baseUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rapport serve did not start in 60 s:\n${seen}`)), 60_000);
      const onData = (chunk) => {
        seen += chunk.toString();
        const m = seen.match(/serving (http:\/\/[0-9.:]+)\/?/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      };
      this.proc.stdout.on('data', onData);
      this.proc.stderr.on('data', (c) => { this.stderr += c.toString(); onData(c); });
      this.proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`rapport serve exited with ${code} before serving:\n${seen}`));
      });
    });
    return this.baseUrl;
  }

  // SIGTERM, then the exit code (null if it had to be killed).
  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return this.proc?.exitCode ?? null;
    const exited = new Promise((resolve) => this.proc.once('exit', (code) => resolve(code)));
    this.proc.kill('SIGTERM');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000));
    const result = await Promise.race([exited, timeout]);
    if (result === 'timeout') {
      this.proc.kill('SIGKILL');
      return null;
    }
    return result;
  }
}

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

// Debian's Chromium, headless. Playwright gives every launch a fresh temporary profile
// (--user-data-dir) of its own and refuses one in `args`, so it is not repeated here.
export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.RAPPORT_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export function screenshotDir() {
  const dir = process.env.RAPPORT_SCREENSHOT_DIR || path.resolve('screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}
