"""The coach's weekly digest: built from the database (`build`), rendered (`render`), and sent
through the outbox on the scheduler (`sending`)."""
