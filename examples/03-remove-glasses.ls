# Lesson 3: remove the sunglasses
# writes: glasses-strip.png
#
# Run it:  linscope run -m faces examples/03-remove-glasses.ls
#
# The faces have a second set of labels: none, clear or sunglasses.
labels faces-glasses.txt
#
# This time we let a logistic-regression probe find the direction: the
# normal of the best line (here: hyperplane) separating the faces without
# glasses from those with sunglasses. It prints its held-out accuracy.
probe none sunglasses glasses
print dirs
score glasses
#
# Face 16 wears sunglasses. Slide the other way, from +1 down to -3: the
# glasses fade and the eyes come back. The rest of the face should stay,
# because the score says the direction hardly touches the other factors.
row 16
range glasses -3 1
strip glasses-strip.png 5
