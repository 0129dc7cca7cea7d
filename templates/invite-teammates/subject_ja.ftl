${(event.properties.project_name)!"プロジェクト"} にチームを招待しましょう
