"""The three roles, as Django groups with their permissions.

Kept in one place: the data migration creates the groups from it, and
`load_demo` and the tests refer to the group names through it.
"""

ANALYSTS = "analysts"
REVIEWERS = "reviewers"
API_CONSUMERS = "api-consumers"

_EDITED_MODELS = {
    "sources": ["report", "source"],
    "claims": ["claim", "attribution", "claimrelation", "entity"],
}


def _crud(actions: list[str]) -> list[tuple[str, str]]:
    return [
        (app, f"{action}_{model}") for app, models in _EDITED_MODELS.items() for model in models for action in actions
    ]


ANALYST_PERMISSIONS = [
    *_crud(["view", "add", "change"]),
    # Removing an attribution or relation from a claim; deleting a draft claim.
    ("claims", "delete_attribution"),
    ("claims", "delete_claimrelation"),
    ("claims", "delete_claim"),
    ("claims", "view_claimtransition"),
    ("claims", "submit_claim"),
]

ROLE_PERMISSIONS = {
    ANALYSTS: ANALYST_PERMISSIONS,
    REVIEWERS: [*ANALYST_PERMISSIONS, ("claims", "vet_claim"), ("claims", "retract_claim")],
    API_CONSUMERS: [("claims", "access_api")],
}


def sync_groups(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions.

    Takes the model classes so that the data migration can pass its
    historical models and tests can pass the real ones.
    """
    for name, permissions in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            [
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in permissions
            ]
        )
