export {
  BUNDLE_COLUMNS,
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  type BundleColumn,
  type BundleFile,
  type BundleManifest,
  type BundleRow,
  bundleCsvLine,
  bundleManifestText,
  bundleRow,
  csvLine,
  openBundleManifest,
  parseBundleManifest,
  signBundleManifest,
} from "./bundle.js";
export { canonicalJson, recordLeafHash } from "./canonical.js";
export {
  type Checkpoint,
  checkpointText,
  openCheckpoint,
  parseCheckpointText,
  signCheckpoint,
} from "./checkpoint.js";
export {
  EXPORT_FORMAT,
  type ExportManifest,
  type ExportRecordLine,
  type ExportTrailer,
  exportManifestText,
  openExportManifest,
  parseExportManifest,
  signExportManifest,
} from "./export.js";
export {
  EMPTY_ROOT,
  HASH_SIZE,
  type Hash,
  hashEquals,
  hashFromBase64,
  leafHash,
  nodeHash,
  sha256,
  toBase64,
} from "./hash.js";
export {
  ed25519KeyId,
  generateSignerKey,
  isKeyName,
  NoteError,
  type NoteSigner,
  type NoteVerifier,
  type OpenedNote,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from "./note.js";
export {
  consistencyProof,
  inclusionProof,
  inclusionProofs,
  ProofError,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from "./proof.js";
export {
  isRedactedAt,
  REDACTED_PREFIX,
  REDACTION_PATH,
  redactedValue,
  redactionKeyOf,
  redactRecord,
  UNREDACTABLE,
} from "./redact.js";
export {
  type LeafRange,
  leafRanges,
  openRetentionStatement,
  parseRetentionNote,
  RETENTION_CORRELATION_ID,
  RETENTION_DELETED_EVENT,
  RETENTION_NOTE_FORMAT,
  type RetentionRange,
  type RetentionStatement,
  retainedBy,
  retentionNoteText,
  retentionRangeOf,
  signRetentionStatement,
} from "./retention.js";
export { type AlteredEntry, findSwaps, type Swap } from "./swaps.js";
export {
  assertSize,
  type FilledNode,
  Frontier,
  foldRange,
  type NodeId,
  type NodeReader,
  rangeHash,
  rangeNodes,
  splitPoint,
  treeRoot,
} from "./tree.js";
