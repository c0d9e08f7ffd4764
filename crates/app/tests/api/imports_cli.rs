//! `practicum import` as the office runs it against the server's database: `--dry-run` writes
//! nothing, then the same file imports.
use crate::db_test;
use crate::helpers::*;
use crate::imports::students_named;

db_test!(
    the_import_command_dry_run_writes_nothing,
    |app| async move {
        let c = cast(&app).await;
        let dir = std::env::temp_dir().join(format!("practicum-import-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        let file = dir.join("students.csv");
        std::fs::write(
            &file,
            "First name,Last name,Email,Program\nCli,Dry,cli@north.edu,AS Radiography\n",
        )
        .expect("write");
        let config = &app.state.config;
        let mut args: Vec<String> = vec![
            "import".into(),
            "students".into(),
            file.display().to_string(),
            "--school".into(),
            "North College".into(),
            "--data-dir".into(),
            config.data_dir.display().to_string(),
        ];
        if let Some(db) = &config.database {
            args.extend(["--database".into(), db.clone()]);
        }
        let run = |extra: &[&str]| {
            std::process::Command::new(env!("CARGO_BIN_EXE_practicum"))
                .args(&args)
                .args(extra)
                .env_remove("PRACTICUM_DATABASE")
                .output()
                .expect("run practicum")
        };
        let out = run(&["--dry-run"]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .contains("dry run, nothing written: 1 rows: 1 valid, 1 students created"),
            "{out:?}"
        );
        assert!(
            students_named(&app, &c.office, "cli@north")
                .await
                .is_empty(),
            "nothing written"
        );
        let out = run(&[]);
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        // Another process's write: the list answer the office read above was kept, and the
        // server's watch sees the command's commit within its poll (README, "What is kept").
        poll(std::time::Duration::from_secs(10), || async {
            (students_named(&app, &c.office, "cli@north").await.len() == 1).then_some(())
        })
        .await;
        let _ = std::fs::remove_dir_all(&dir);
    }
);
