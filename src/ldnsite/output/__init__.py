"""Writing the output: render the plan with the theme, check links and anchors, write atomically, index for search.

``build`` ties the stages together: load -> validate -> plan -> render -> write.
"""
