"""Budget site generator: YAML content → Korean static site.

pipeline.Builder.build() runs the stages, each in its module:
load (YAML with line numbers) → validate (schemas, references, sums) → model
(typed records, derived values) → render (pages and their tables) → charts
(Altair specs and SVG) → publish and write (into a fresh folder, swapped in
at the end) → freshness (the build's record, so the next does only what
changed). memory.Memory holds what a Builder keeps between builds.
"""
