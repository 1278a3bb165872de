// The WHATWG URL and import.meta.url, which exist in Node, browsers and workers alike, declared for the
// core's ES-only type libraries (the core uses them to locate its built-in lab files, never to fetch).
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly protocol: string;
  readonly pathname: string;
}

interface ImportMeta {
  readonly url: string;
}
