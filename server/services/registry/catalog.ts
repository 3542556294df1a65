import type { CodeName } from '../../../config/index.js';

/** Resolves towns and networks given by code, Chinese name or English name. */
export class CodeList {
  private readonly byKey = new Map<string, CodeName>();

  constructor(readonly entries: readonly CodeName[]) {
    for (const entry of entries) {
      for (const key of aliases(entry)) if (!this.byKey.has(key)) this.byKey.set(key, entry);
    }
  }

  /** The entry for a code, a name ('梅渚镇'), a name without its 镇/乡 suffix ('梅渚') or an English name. */
  resolve(text: string): CodeName | undefined {
    return this.byKey.get(normalise(text));
  }

  byCode(code: string): CodeName | undefined {
    return this.entries.find((e) => e.code === code);
  }

  /** For error messages: "jianping (建平镇), shizi (十字镇), …". */
  describe(): string {
    return this.entries.map((e) => `${e.code} (${e.name})`).join(', ');
  }
}

function normalise(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '');
}

function aliases(entry: CodeName): string[] {
  const keys = [entry.code, entry.name, entry.nameEn ?? ''].map(normalise).filter(Boolean);
  const bare = entry.name.replace(/(镇|乡|街道|网)$/, '');
  if (bare && bare !== entry.name && bare.length >= 2) keys.push(normalise(bare));
  return keys;
}

/** The county's configured vocabularies. */
export interface Catalog {
  countyCode: string;
  countyName: string;
  idEdition: '2016' | '2022';
  towns: CodeList;
  networks: CodeList;
}
