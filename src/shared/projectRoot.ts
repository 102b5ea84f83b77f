import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, views/ and migrations/, whether running from src/ or a build in dist/. */
export function projectRoot(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'views'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no project root above ${fileURLToPath(fromUrl)}`);
    dir = up;
  }
  return dir;
}
