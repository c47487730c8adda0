from workflows.models import NominationTask


def test_full_walk(draft, walk, world):
    n = walk(
        draft,
        "submit",
        "approve",
        "return_for_revision",
        "resubmit",
        "approve",
        "approve",
        "approve",
    )
    assert n.status == "council_review"
    n = walk(n, "council_approve", "confer")
    assert n.status == "awarded"
    print(list(NominationTask.objects.values_list("flow_task", "stage", "role", "status", "owner")))
