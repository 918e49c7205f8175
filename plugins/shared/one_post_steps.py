"""The steps a plugin takes on each post once every post is read (at Pelican's
all_generators_finalized), that can be taken on one post alone.

The preview (tools/site_in_memory) writes the page of a post whose text was saved before it
builds the rest of the site: it reads that one file again and sends `post_read_alone` with the new
post, so that a plugin whose all_generators_finalized step changes each post on its own (its
pictures made responsive) changes this one too. A plugin connects a receiver here beside its
all_generators_finalized one, both calling the same function.
"""

from blinker import signal

# Sent with the post or page (sender) and the build's settings (keyword `settings`).
post_read_alone = signal("herbclinique.post_read_alone")
