"""What a Django team would build without Laurel: a nomination with a django-fsm status field,
django-fsm-log for the transition log and django-simple-history for its history. Used only by
the benchmark, to compare Laurel with the usual alternative on the same database."""
