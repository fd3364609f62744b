"""How long a list may grow on one page (issue 28 §3: at 10,000 projects no
page is over 250 KB of HTML). A longer one is split into pages, or shown in
part with the whole in its download; below these, pages are as they were.
Each limit is used by one kind of list, named beside it."""

# Projects listed on one page of the project index (render/lists.py): about 1.4 KB of HTML each at
# seven years, so 100 make ~150 KB. Above the real site's 81 projects, which stay on one page.
PROJECTS_PER_PAGE = 100
# Projects on one page of a department's list (render/places.py): each is shown twice there, in the list
# and in the comparison of two years (~2 KB together), beside the department's charts and totals on page 1.
DEPARTMENT_PROJECTS_PER_PAGE = 50

# Rows of a comparison of two years shown at each end (largest increases, largest decreases)
# when it has more projects than COMPARE_FULL_UP_TO (render/compare.py).
COMPARE_FULL_UP_TO = 400
COMPARE_SHOWN_EACH_WAY = 50

# Projects shown by name in a composition (treemap and its table) per department; the rest are one
# 「그 밖의 사업 N개」 entry per department, the sum of their figures (render/composition.py, grouped in
# model/composition.py). 11: the most one department has in any composition of content/ (2024, 2025),
# so the real site groups nothing; 10,000 projects in 20 departments make a composition page of ~150 KB
# (~285 KB with its drawn SVG, whose marks are most of it).
COMPOSITION_PER_DEPARTMENT = 11

# Names on one page of the ㄱㄴㄷ index (search/index.html) before it is split by first consonant, and on
# one page of a consonant's names before that is split in parts (render/names.py). A name's line is about
# 160 bytes: 1,200 make a page of about 200 KB.
NAMES_ON_ONE_PAGE = 1200

# Departments shown on the home page in one stacked chart per budget stage (render/lists.py): more, and
# those charts and their tables (each growing with departments × years) move to the departments page,
# the home page keeping its table of each department's year. The real site has 10.
DEPARTMENT_STAGES_ON_HOME = 12
