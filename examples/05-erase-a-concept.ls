# Lesson 5: erase a concept, and show that a probe can no longer find it
# writes: erased-strip.png
#
# Run it:  linscope run -m faces examples/05-erase-a-concept.ls
#
# A probe finds smile easily: watch its held-out accuracy.
meandiff frown smile smile
probe frown smile found
print dirs
#
# LEACE (least-squares concept erasure) moves every face of the bank
# along the smile direction just far enough that frowning and smiling faces
# have the same average everywhere. Nothing else about the faces changes.
erase smile
#
# Train the probe again on the erased bank: its accuracy drops to a coin
# toss (about 0.5), and its direction no longer follows the true smile.
probe frown smile after
print dirs
score after
#
# The concept is gone from the bank, not from the decoder. The bank's
# spread along the old smile direction shrank (sigma 0.97 became 0.25),
# so a slider step is now a quarter as long: slide over -12..12 to move
# as far as -3..3 did before, and face 1 still frowns and smiles.
# Erasure hides information from a reader of the latents; it does not
# rewire the model.
row 1
select smile
range smile -12 12
strip erased-strip.png 5
