print("render-chord")
