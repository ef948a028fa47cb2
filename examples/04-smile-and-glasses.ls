# Lesson 4: smile and sunglasses together (are concepts additive?)
# writes: both.png linscope-0001.png linscope-0002.png linscope-0003.png linscope-0004.png
#
# Run it:  linscope run -m faces examples/04-smile-and-glasses.ls
#
# If concepts are directions, adding two of them should give both at once.
meandiff frown smile smile
labels faces-glasses.txt
meandiff none sunglasses glasses
#
# Are the two directions independent? A cosine near 0 means they are
# nearly perpendicular, so moving along one leaves the other alone.
cos
#
# Face 1 is labelled neutral, without glasses. Four pictures: as it is,
# with a smile, with sunglasses, and with both.
row 1
snapshot
alpha smile 2
snapshot
reset smile
alpha glasses 2
snapshot
alpha smile 2
snapshot
echo (linscope-0001.png to linscope-0004.png: plain, smile, glasses, both)
#
# The linearity meter measures it: 'additivity' is the error of adding
# the two changes made alone instead of making both moves together,
# relative to their size (0 is perfectly additive; this model gives about
# 0.1). 'homogeneity' is the error of doubling one step (about 0.3 here:
# two sigma of smile is not twice one sigma).
select smile
linearity 1
#
# The strip of the smile with the glasses on.
strip both.png 5
