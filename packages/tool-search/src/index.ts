export { analyze, termsOfWord, words } from "./analyze.ts";
export { DETAILS_WORD_CAP, splitFirstSentence, toolFields, type ToolFields } from "./fields.ts";
export { SYNONYMS } from "./synonyms.ts";
export {
  createToolSearchIndex,
  FIELD_BOOST,
  SERVER_MATCH_BOOST,
  type SearchOptions,
  type ServerToolsChange,
  type ToolSearchHit,
  type ToolSearchIndex,
} from "./tool-search-index.ts";
