"""Pages and htmx endpoints of the planning app, one module per page (docs/rules.md, "Pages").

- ``common``: the typed request, the access lookups every view uses, and ``run_service``
- ``api``: the workload document as JSON
- ``overview``: the team overview, acknowledging and withdrawing a dual role
- ``exports``: the overview's downloads, the workload and flags as CSV and Excel files
- ``board`` (and ``board_cards``, the cards with their forms): the assignment board and its writes
- ``assign_preview``: the board's "Assign someone": who should take a task, and the preview of one choice
- ``fix``: the pages behind the flags that need a person ("fix it"), with the preview of a change
- ``member``: a member's page, role holdings and time off
- ``duties``: My duties

Every view checks who may see it (``managed_team_or_404`` / ``visible_member_or_404``: anyone else
gets 404) and every write requires the team's manager and POST (docs/rules.md, "Who may do what").
An htmx request gets the changed fragment (plus out-of-band fragments for the panels it affects); a
plain form post gets a redirect back, or the full page with the errors beside the fields, so
everything works without JavaScript.
"""
