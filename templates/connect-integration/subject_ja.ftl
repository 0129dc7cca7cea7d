いつものツールと Tasklane を連携しましょう
