"""Standards in: pure readers of what other tools export, and the writers that load it through the services.

`annotations`: Hypothesis / W3C Web Annotations become draft claims anchored in a report (`import_annotations`).
`stix`: a STIX bundle exported by a claimtracker is loaded into another (`import_stix`).
"""
