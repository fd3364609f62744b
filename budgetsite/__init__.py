"""Budget site generator: YAML content → Korean static site.

The build is one pipeline; each stage has its module:
load (YAML + line numbers) → validate (schema, references, sums) → model
(typed, derived values) → charts (Altair specs + SVG) → render (Jinja pages)
→ write (into a fresh folder, swapped in at the end).
"""
