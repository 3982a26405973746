// Tests here stop and restart the shared PostgreSQL and Redis, and start whole regions in-process: no two test
// collections may run at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
