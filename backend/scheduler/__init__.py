"""The scheduler: claims due jobs from the database and fires them."""
