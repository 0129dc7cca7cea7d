${(event.properties.project_name)!"プロジェクト"} にメンバーを招待して、最初のタスクを割り当てましょう。
