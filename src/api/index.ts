// The package's main export (`import('heapdiff')`). Placeholder: the typed public API is being written
// (issue 12, item 1) and replaces this file.
export { VERSION } from '../version.js';
