Tasklane へようこそ、${user.first_name!""}さん：最初のプロジェクトを作りましょう
