/** What an uploaded source document may be: checked before and while it is read. */
export interface SourceLimits {
  /** The upload itself (the server also stops reading the request at this size). */
  readonly maxBytes: number;
  /** PDF pages read; a longer PDF is refused rather than silently cut. */
  readonly maxPages: number;
  /** What a DOCX (a ZIP) may unpack to, so a small "zip bomb" cannot exhaust memory. */
  readonly maxUnpackedBytes: number;
  /** Less text than this gives nothing to ask about. */
  readonly minCharacters: number;
}

export const DEFAULT_SOURCE_LIMITS: SourceLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPages: 50,
  maxUnpackedBytes: 50 * 1024 * 1024,
  minCharacters: 100,
};

export const MIB = 1024 * 1024;

/** `10 MiB`, `512 KiB`: limits as people read them. */
export function formatBytes(bytes: number): string {
  if (bytes >= MIB) return `${Math.round((bytes / MIB) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
