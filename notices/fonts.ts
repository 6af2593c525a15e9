/**
 * The Chinese fonts notices are printed in: Noto CJK from Debian's fonts-noto-cjk (`/usr/share/fonts/opentype/noto`,
 * or the folder in XINFANG_CJK_FONT_DIR). Each file is a TrueType collection; the Simplified Chinese face is chosen
 * by its PostScript name, and pdfkit embeds only the glyphs a notice uses.
 *
 * The collections are large (about 70 MB together); they are read once per process and kept.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface NoticeFont {
  /** The collection's bytes. */
  data: Buffer;
  /** The face in the collection (its PostScript name). */
  name: string;
}

export interface NoticeFonts {
  serif: NoticeFont;
  serifBold: NoticeFont;
  sans: NoticeFont;
}

export const DEFAULT_FONT_DIR = '/usr/share/fonts/opentype/noto';

const FACES = {
  serif: { file: 'NotoSerifCJK-Regular.ttc', name: 'NotoSerifCJKsc-Regular' },
  serifBold: { file: 'NotoSerifCJK-Bold.ttc', name: 'NotoSerifCJKsc-Bold' },
  sans: { file: 'NotoSansCJK-Regular.ttc', name: 'NotoSansCJKsc-Regular' },
} as const satisfies Record<keyof NoticeFonts, { file: string; name: string }>;

/** Per folder: read once, kept for the life of the process. */
const loaded = new Map<string, Promise<NoticeFonts>>();

async function readFace(dir: string, face: { file: string; name: string }): Promise<NoticeFont> {
  const file = path.join(dir, face.file);
  try {
    return { data: await readFile(file), name: face.name };
  } catch (error) {
    throw new Error(
      `the notice font ${file} cannot be read (${(error as Error).message}): install Debian's fonts-noto-cjk, ` +
        'or set XINFANG_CJK_FONT_DIR to a folder with the Noto CJK collections',
      { cause: error },
    );
  }
}

export function loadNoticeFonts(dir = process.env.XINFANG_CJK_FONT_DIR || DEFAULT_FONT_DIR): Promise<NoticeFonts> {
  let fonts = loaded.get(dir);
  if (!fonts) {
    fonts = (async () => ({
      serif: await readFace(dir, FACES.serif),
      serifBold: await readFace(dir, FACES.serifBold),
      sans: await readFace(dir, FACES.sans),
    }))();
    loaded.set(dir, fonts);
    // A failed load is not kept: the next notice tries again (fonts installed meanwhile).
    fonts.catch(() => loaded.delete(dir));
  }
  return fonts;
}
